// The public API of @expert-dispatch/verify: offline replay of exported draw records.
export { DRAW_FILE_FORMAT, type DrawFile, drawFileSchema } from './draw-file.js';
export { runVerify, VERIFY_EXIT, type VerifyIo } from './run-verify.js';
export { type DrawFileVerification, verifyDrawFile } from './verify-draw-file.js';
