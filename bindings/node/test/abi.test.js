'use strict';
// Holds the hand-written layouts and constants to what the C compiler makes of baton.h
// (tests/c/abi_dump.c, run from $BATON_ABI_DUMP, which make test-node sets).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const native = require('../lib/native');
const errors = require('../lib/errors');

const c = new Map(execFileSync(process.env.BATON_ABI_DUMP, { encoding: 'utf8' }).trim().split('\n').map((line) => {
  const [kind, name, value] = line.split(/\s+/);
  return [`${kind} ${name}`, Number(value)];
}));

test('every API struct has the header\'s size and offsets', () => {
  for (const [name, layout] of Object.entries(native.LAYOUTS)) {
    assert.strictEqual(layout.size, c.get(`size ${name}`), name);
    const dumped = [...c.keys()].filter((key) => key.startsWith(`offset ${name}.`)).map((key) => key.split('.')[1]);
    assert.deepStrictEqual(Object.keys(layout.fields).sort(), dumped.sort(), `fields of ${name}`);
    for (const [field, offset] of Object.entries(layout.fields)) {
      assert.strictEqual(offset, c.get(`offset ${name}.${field}`), `${name}.${field}`);
    }
    assert.strictEqual(native.lib.baton_struct_size(layout.id), layout.size, `baton_struct_size of ${name}`);
  }
});

test('every struct id names its struct', () => {
  const ids = [...c.entries()].filter(([key]) => key.startsWith('define BATON_STRUCT_')).map(([, id]) => id);
  assert.deepStrictEqual(Object.values(native.LAYOUTS).map((layout) => layout.id).sort(), ids.sort());
});

test('every code and constant has the header\'s value', () => {
  for (const [name, code] of Object.entries(errors.CODES)) {
    assert.strictEqual(code, c.get(`define BATON_${name}`), name);
  }
  for (const name of ['ABI_MAJOR', 'WAIT_FOREVER', 'OPEN_ANY_OWNER', 'FILE_MODE_DEFAULT', 'SLOT_HEADER_LENGTH',
    'COMPLETION_BODY_LENGTH', 'BLOCK_CLASSES', 'BLOCK_SIZE_MIN']) {
    assert.strictEqual(native[name], c.get(`define BATON_${name}`), name);
  }
  assert.ok(c.get('define BATON_ABI_MINOR') >= native.ABI_MINOR);
});

test('a library of another ABI or struct size is refused with its reason', () => {
  const sizes = (id) => Object.values(native.LAYOUTS).find((layout) => layout.id === id).size;
  const major = native.ABI_MAJOR;
  assert.throws(() => native.check((major + 1) << 16, sizes, 'libbaton-next.so'),
    new RegExp(`has ABI ${major + 1}\\.0; this binding needs ${major}`));
  assert.throws(() => native.check(native.lib.baton_abi_version(), (id) => (id === 2 ? 8 : sizes(id)), 'odd.so'),
    /8-byte baton_event; this binding was generated with one of 80/);
});

test('the library is BATON_LIBRARY, else the one the package carries', () => {
  const found = native.libraryPath();
  if (process.env.BATON_LIBRARY) {
    assert.strictEqual(found, process.env.BATON_LIBRARY);
  } else {
    assert.ok(found.startsWith(path.join(__dirname, '..', 'native') + path.sep), found);
    assert.ok(fs.existsSync(found), found);
  }
});

test('a missing library is named with what to do', () => {
  const run = spawnSync(process.execPath, ['-e', 'require("./lib")'], {
    cwd: `${__dirname}/..`, env: { ...process.env, BATON_LIBRARY: '/nonexistent/libbaton.so' }, encoding: 'utf8',
  });
  assert.notStrictEqual(run.status, 0);
  assert.match(run.stderr, /install it \(make install\) or set BATON_LIBRARY/);
});
