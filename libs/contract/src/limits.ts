/** Limits of the contract, shared by the HTTP and Kafka edges. */
export const TYPE_PATTERN = /^[a-z0-9._-]{1,128}$/;
/** Ids and keys travel in tab-separated Redis headers and Kafka headers: no control characters. */
export const ID_PATTERN = /^[^\u0000-\u001f\u007f]{1,256}$/;
export const MAX_ATTEMPTS_LIMIT = 100;
