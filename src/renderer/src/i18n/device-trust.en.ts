import type deviceTrustEs from './device-trust.es'

/** English strings for adopting dispensers, device tokens and the short-key warning (merged into en.ts). */
const deviceTrustEn: typeof deviceTrustEs = {
  adoption: {
    title: 'New dispensers',
    toggle: 'Accept new dispensers',
    openFor: 'Open: new dispensers are accepted automatically for {minutes} more min.',
    closed: 'Closed: a new dispenser waits here until you adopt it.',
    hint: 'Open it only while you plug in a new dispenser. It closes by itself after an hour.',
    opened: 'New dispensers are accepted for an hour',
    closedNow: 'New dispensers are no longer accepted',
    failed: 'Could not change it',
    pendingTitle: 'Waiting to be adopted',
    pendingHint:
      'These dispensers use the shared key but nobody accepted them: nothing they send is stored. Adopt only the ones you recognise.',
    lastSeen: 'Last seen',
    address: 'Address',
    attempts: 'Attempts',
    adopt: 'Adopt',
    dismiss: 'Dismiss',
    adopted: '{name} adopted: accepted from its next heartbeat',
    dismissed: '{name} removed from the list',
    actionFailed: 'Could not complete it'
  },
  deviceToken: {
    title: "Dispenser's credential",
    state: {
      none: 'Uses the shared dispenser key.',
      issued: 'It was given its own token; it has not used it yet.',
      active: 'Uses its own token: the shared key no longer works for this dispenser.',
      revoked: 'Token revoked: this dispenser cannot connect until you issue another.'
    },
    issuedAt: 'Token issued',
    usedAt: 'First used',
    revoke: 'Revoke token',
    reissue: 'Issue again',
    revokeTitle: "Revoke {name}'s token?",
    revokeMessage:
      'Neither its token nor the shared key will work for it. Do it if the dispenser was lost or someone may have read its memory.',
    reissueTitle: 'Issue a new token for {name}?',
    reissueMessage:
      'The current token stops working. At its next heartbeat with the shared key it gets a new one.',
    revoked: 'Token revoked',
    reissued: 'It will get a new token at its next heartbeat',
    failed: 'Could not change the token',
    loadFailed: 'Could not load the credential'
  },
  shortKey: {
    warning:
      'The dispenser key is short: anyone on the network could guess it. It works, but it is worth changing.',
    action:
      'Change it in Settings with a grace period: the old one keeps working while you update each dispenser.',
    goToSettings: 'Go to Settings'
  }
}

export default deviceTrustEn
