"""People: accounts, roles and what each may see, sign-in, sessions and personal API tokens.

Public, by module:
- admin_views: holiday_overrides, people
- roles: sees_only_own_cases, sees_real_names, may_change_cases
- sign_in: SignInFailed, digest, verify_password, NewSession, sign_in, ActiveSession, session_user, sign_out,
  csrf_token, csrf_ok, create_api_token, token_user, token_expiry
- tokens: TokenView, list_tokens, revoke_token
- tables: User, WebSession, ApiToken, SignInThrottle
- users: default_partnership, insert_ignoring_conflicts, normalise_email, user_by_email, hash_password, add_user,
  list_users, Actor, actor_for
"""
