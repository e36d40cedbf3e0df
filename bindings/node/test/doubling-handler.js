'use strict';
// A handler module for serve(): each 8-byte number answered with status 200 and its double; odd
// numbers below zero make it throw, and numbers below -1000 make it answer a string, to show that a
// thrown error or a wrong answer still completes its event. A payload of any other length is answered
// with its bytes reversed, status 0.
module.exports = (event) => {
  if (event.payload.length !== 8) {
    return [0, Buffer.from(event.payload).reverse()];
  }
  const number = event.payload.readBigInt64LE(0);
  if (number < -1000n) {
    return 'a string, not bytes';
  }
  if (number < 0n && number % 2n !== 0n) {
    throw new RangeError(`odd ${number}`);
  }
  const answer = Buffer.alloc(8);
  answer.writeBigInt64LE(2n * number);
  return [200, answer];
};
