export { revokeOnClose, type RevokeOnCloseOptions } from './revoke-on-close';
