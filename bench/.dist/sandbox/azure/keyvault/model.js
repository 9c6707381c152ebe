// Key Vault objects as the sandbox keeps them. Policies are kept in the REST wire shape [KV-SPEC]
// (`key_props`, `secret_props`, `x509_props`, `lifetime_actions`, `issuer`) because that is what the
// service receives and serves back.
export const CONTENT_TYPE_PFX = 'application/x-pkcs12';
export const CONTENT_TYPE_PEM = 'application/x-pem-file';
//# sourceMappingURL=model.js.map