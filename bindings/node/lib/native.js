'use strict';
// libbaton through koffi: the API structs (byte layouts, read with Buffer's little-endian
// accessors) and function prototypes generated from baton.h (declarations.js, by
// `make declarations`), loaded and checked. Loading checks the library's ABI version and holds
// every struct to the library's size of it (baton_abi_version, baton_struct_size), refusing a
// mismatch before any call; test/abi.test.js holds the offsets and constants to what the C compiler
// makes of baton.h.
//
// Structs travel as Buffers, so 64-bit fields are read with readBigUInt64LE: a handle is always a
// BigInt, whatever its magnitude.
const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');
const { ABI_MAJOR, ABI_MINOR, CONSTANTS, LAYOUTS, PROTOTYPES } = require('./declarations');

const WAIT_FOREVER = CONSTANTS.BATON_WAIT_FOREVER;
const OPEN_ANY_OWNER = CONSTANTS.BATON_OPEN_ANY_OWNER;
const FILE_MODE_DEFAULT = CONSTANTS.BATON_FILE_MODE_DEFAULT;
const SLOT_HEADER_LENGTH = CONSTANTS.BATON_SLOT_HEADER_LENGTH;
const COMPLETION_BODY_LENGTH = CONSTANTS.BATON_COMPLETION_BODY_LENGTH;
const BLOCK_CLASSES = CONSTANTS.BATON_BLOCK_CLASSES;
const BLOCK_SIZE_MIN = CONSTANTS.BATON_BLOCK_SIZE_MIN;
const TRACEPARENT_LENGTH = CONSTANTS.BATON_TRACEPARENT_LENGTH;

/** libbaton was not found, or is not the ABI this binding was written for. */
class LibraryMismatch extends Error {
  constructor(message) {
    super(message);
    this.name = 'LibraryMismatch';
  }
}

/** Throws LibraryMismatch unless version and sizes (id -> bytes) are the ones bound here. */
function check(version, sizeOf, path) {
  const major = version >>> 16;
  const minor = version & 0xffff;
  if (major !== ABI_MAJOR || minor < ABI_MINOR) {
    throw new LibraryMismatch(`${path} has ABI ${major}.${minor}; this binding needs ${ABI_MAJOR}.x with x >= ${ABI_MINOR}`);
  }
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    const size = sizeOf(layout.id);
    if (size !== layout.size) {
      throw new LibraryMismatch(`${path} has a ${size}-byte ${name}; this binding was generated with one of ${layout.size}`);
    }
  }
}

/** The libbaton this package carries, for this machine, or null. */
function bundledLibrary() {
  const machine = { x64: 'x86_64', arm64: 'aarch64' }[process.arch] || process.arch;
  const bundled = path.join(__dirname, '..', 'native', `${process.platform}-${machine}`, `libbaton.so.${ABI_MAJOR}`);
  return fs.existsSync(bundled) ? bundled : null;
}

/** $BATON_LIBRARY, else the libbaton this package carries, else the installed one. */
function libraryPath() {
  return process.env.BATON_LIBRARY || bundledLibrary() || `libbaton.so.${ABI_MAJOR}`;
}

/** Loads libbaton (from libraryPath(), unless given), checks it, binds it. */
function load(file = libraryPath()) {
  let library;
  try {
    library = koffi.load(file);
  } catch (error) {
    throw new LibraryMismatch(`libbaton not loaded from ${file} (${error.message}): install it (make install) or set BATON_LIBRARY`);
  }
  let abiVersion;
  try {
    abiVersion = library.func('uint32_t baton_abi_version(void)');
  } catch {
    throw new LibraryMismatch(`${file} is older than ABI ${ABI_MAJOR}.${ABI_MINOR}: it has no baton_abi_version`);
  }
  const structSize = library.func('uint32_t baton_struct_size(uint32_t id)');
  check(abiVersion(), structSize, file);
  const functions = { baton_abi_version: abiVersion, baton_struct_size: structSize };
  for (const prototype of PROTOTYPES) {
    const name = prototype.match(/(baton_\w+)\(/)[1];
    functions[name] = functions[name] || library.func(prototype);
  }
  return functions;
}

module.exports = {
  ABI_MAJOR, ABI_MINOR, WAIT_FOREVER, OPEN_ANY_OWNER, FILE_MODE_DEFAULT, SLOT_HEADER_LENGTH, COMPLETION_BODY_LENGTH,
  BLOCK_CLASSES, BLOCK_SIZE_MIN, TRACEPARENT_LENGTH,
  LAYOUTS, LibraryMismatch, check, libraryPath, load, lib: load(),
};
