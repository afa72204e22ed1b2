"""The second factor: the authenticator app and its recovery codes, passkeys, and their pages."""
