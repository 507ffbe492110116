// The tokens a hosted-UI token endpoint answer carries, in camelCase: one type for every client (web app, CLI,
// local sign-in).

export interface TokenSet {
  accessToken: string;
  /** Present when the openid scope was granted. */
  idToken?: string;
  /** Only the code exchange returns one; a refresh keeps the one already held. */
  refreshToken?: string;
  /** Seconds from issue. */
  expiresIn: number;
  /** `Bearer` from Cognito. */
  tokenType: string;
}
