import type es from './accounts.es'

export default {
  accounts: {
    loginName: 'Name',
    loginNameHint: 'Leave it empty to sign in as the first admin account.',
    signedInAs: 'Signed in as {name}',
    title: 'Family accounts',
    intro:
      'Each person signs in with their own name and password, and the alerts they mark as seen carry their name.',
    name: 'Name',
    role: 'Role',
    roles: {
      admin: 'Admin',
      family: 'Family'
    },
    roleHint:
      'Family: see, mark alerts as seen and edit schedules. Admin: also settings, firmware, accounts and keys.',
    password: 'Password',
    add: 'Add account',
    adding: 'Adding…',
    added: 'Account added',
    addFailed: 'Could not add the account',
    you: '(you)',
    fromEnv: 'Password set by ADMIN_PASSWORD',
    resetPassword: 'New password',
    reset: 'Change',
    resetDone: 'Password changed; their sessions were closed',
    resetFailed: 'Could not change the password',
    makeAdmin: 'Make admin',
    makeFamily: 'Make family',
    roleChanged: 'Role changed',
    roleFailed: 'Could not change the role',
    remove: 'Remove',
    removeConfirm: "Remove {name}'s account? Their sessions will be closed.",
    removed: 'Account removed',
    removeFailed: 'Could not remove the account',
    loadFailed: 'Could not load the accounts',
    ownPasswordTitle: 'Your password',
    ownPasswordNote: 'Changing it closes your other sessions.'
  }
} satisfies typeof es
