'use strict';
// A handler module for serve(): hands each event back twice, appending a cursor byte each time, then
// answers with what it accumulated and its yield count as the status. Events numbered 13 mod 100 yield
// for ever, until the channel ends them with BATON_ELOOP.
const { Yield } = require('..');

module.exports = (event) => {
  const number = event.payload.readBigInt64LE(0);
  if (number % 100n === 13n || event.yields < 2) {
    return new Yield(Buffer.concat([event.payload, Buffer.from('+')]));
  }
  return [event.yields, event.payload];
};
