'use strict';
// The handler module of handler_process.js: each 8-byte number answered with status 200 and its double.
module.exports = (event) => {
  const answer = Buffer.alloc(8);
  answer.writeBigInt64LE(2n * event.payload.readBigInt64LE(0));
  return [200, answer];
};
