'use strict';
// Errors for misuse, one class per BATON_E* code a caller can cause, each with .code (negative) and
// .codeName. The ordinary races of serving (an event that timed out or was cancelled while its
// handler worked, a full ring) are results, never errors: see Channel#complete and #dispatch.
const { lib } = require('./native');

class BatonError extends Error {
  constructor(code, message) {
    const codeName = CODE_NAMES.get(code) || 'BATON_E?';
    super(message || lib.baton_strerror(code));
    this.name = codeName;
    this.code = code;
    this.codeName = codeName;
  }
}

const CODES = {
  ENOENT: -2, EIO: -5, ENOMEM: -12, EACCES: -13, EBUSY: -16, EEXIST: -17, EINVAL: -22, EPROTO: -71, EBADMSG: -74,
  EUSERS: -87, EMSGSIZE: -90, EPROTONOSUPPORT: -93, EISCONN: -106, ESHUTDOWN: -108, EHOSTDOWN: -112,
  EALREADY: -114, EUCLEAN: -117,
};
const CODE_NAMES = new Map(Object.entries(CODES).map(([name, code]) => [code, `BATON_${name}`]));

const errors = {};
for (const [name, code] of Object.entries(CODES)) {
  errors[name] = class extends BatonError {
    constructor(message) {
      super(code, message);
    }
  };
  Object.defineProperty(errors[name], 'name', { value: name });
}

/** code when it is >= 0; otherwise throws the error named after it. */
function check(code) {
  if (code >= 0) {
    return code;
  }
  throw errorOf(code);
}

/**
 * check, for an opening call (create, open, adopt) just made on this thread: the error carries
 * libbaton's detail of the fault (baton_error_detail), the sentence every language shows, such as
 * "/dev/shm/x: 100 bytes, shorter than a channel header (512 bytes)".
 */
function checkOpening(code) {
  if (code >= 0) {
    return code;
  }
  throw errorOf(code, lib.baton_error_detail(code));
}

/** The error named after a negative code, made but not thrown. */
function errorOf(code, message) {
  const name = CODE_NAMES.get(code);
  return name ? new errors[name.slice('BATON_'.length)](message) : new BatonError(code, message);
}

module.exports = { BatonError, CODES, check, checkOpening, errorOf, ...errors };
