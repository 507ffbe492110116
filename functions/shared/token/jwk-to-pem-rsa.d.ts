// Types for jwk-to-pem's RSA converter, imported directly: the package entry also loads its EC half
// (elliptic), about 95 KB of bundle this Lambda never uses.
declare module 'jwk-to-pem/src/rsa.js' {
  function rsaJwkToPem(jwk: { readonly n: string; readonly e: string }, opts: { readonly private: boolean }): string;
  export default rsaJwkToPem;
}
