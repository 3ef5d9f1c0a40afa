/** Family member accounts as the admin API shows them (server and dashboard share these). */
export type Role = 'admin' | 'family'

/** Who is signed in. */
export interface SignedInAccount {
  id: number
  name: string
  role: Role
}

export interface AccountView extends SignedInAccount {
  created_at: string
  password_changed_at: string
  /** True for the first account while ADMIN_PASSWORD sets its password. */
  password_from_env: boolean
}
