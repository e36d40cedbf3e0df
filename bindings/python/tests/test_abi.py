"""Holds the generated structs and constants (_declarations.py) to what the C compiler makes of baton.h
(tests/c/abi_dump.c, run from $BATON_ABI_DUMP, which make test-python sets)."""
import ctypes
import os
import re
import subprocess
import unittest

from baton import _native, errors


def dump():
    lines = subprocess.run([os.environ["BATON_ABI_DUMP"]], check=True, capture_output=True, text=True).stdout
    return {" ".join(line.split()[:2]): int(line.split()[2]) for line in lines.splitlines()}


class AbiTest(unittest.TestCase):
    def setUp(self):
        self.c = dump()

    def test_every_api_struct_has_the_headers_size_and_offsets(self):
        for struct in _native.STRUCTS.values():
            name = "baton_" + re.sub(r"(?<!^)(?=[A-Z])", "_", struct.__name__).lower()  # DrainCounts: baton_drain_counts
            self.assertEqual(self.c[f"size {name}"], ctypes.sizeof(struct), name)
            dumped = {key.split(".", 1)[1] for key in self.c if key.startswith(f"offset {name}.")}
            self.assertEqual(dumped, {field for field, _ in struct._fields_}, f"fields of {name}")
            for field, _ in struct._fields_:
                self.assertEqual(self.c[f"offset {name}.{field}"], getattr(struct, field).offset, f"{name}.{field}")

    def test_every_struct_id_names_its_struct(self):
        ids = {key: value for key, value in self.c.items() if key.startswith("define BATON_STRUCT_")}
        self.assertEqual(sorted(ids.values()), sorted(_native.STRUCTS))
        for key, struct_id in ids.items():
            self.assertEqual(_native.lib.baton_struct_size(struct_id), ctypes.sizeof(_native.STRUCTS[struct_id]), key)

    def test_every_code_and_constant_has_the_headers_value(self):
        for error in errors._BY_CODE.values():
            self.assertEqual(self.c[f"define {error.name}"], error.code, error.name)
        for name, value in [("BATON_ABI_MAJOR", _native.ABI_MAJOR), ("BATON_WAIT_FOREVER", _native.WAIT_FOREVER),
                            ("BATON_OPEN_ANY_OWNER", _native.OPEN_ANY_OWNER),
                            ("BATON_FILE_MODE_DEFAULT", _native.FILE_MODE_DEFAULT),
                            ("BATON_SLOT_HEADER_LENGTH", _native.SLOT_HEADER_LENGTH),
                            ("BATON_COMPLETION_BODY_LENGTH", _native.COMPLETION_BODY_LENGTH),
                            ("BATON_BLOCK_CLASSES", _native.BLOCK_CLASSES),
                            ("BATON_BLOCK_SIZE_MIN", _native.BLOCK_SIZE_MIN)]:
            self.assertEqual(self.c[f"define {name}"], value, name)
        self.assertGreaterEqual(self.c["define BATON_ABI_MINOR"], _native.ABI_MINOR)

    def test_a_library_of_another_abi_is_refused_with_its_reason(self):
        class Older:
            """A libbaton without baton_abi_version, as 2.0 was."""
        with self.assertRaisesRegex(_native.LibraryMismatch, f"older than ABI {_native.ABI_MAJOR}.{_native.ABI_MINOR}"):
            _native._check(Older(), "libbaton-2.0.so")

        class OtherMajor:
            class baton_abi_version:
                restype = None

                def __new__(cls):
                    return (_native.ABI_MAJOR + 1) << 16
        with self.assertRaisesRegex(_native.LibraryMismatch,
                                    f"has ABI {_native.ABI_MAJOR + 1}.0; this binding needs {_native.ABI_MAJOR}"):
            _native._check(OtherMajor(), "libbaton-next.so")

    def test_the_library_is_baton_library_else_the_one_the_package_carries(self):
        found = _native._find()
        if "BATON_LIBRARY" in os.environ:
            self.assertEqual(found, os.environ["BATON_LIBRARY"])
        else:
            package = os.path.dirname(os.path.abspath(_native.__file__))
            self.assertTrue(found.startswith(os.path.join(package, "native") + os.sep), found)
            self.assertTrue(os.path.exists(found), found)

    def test_a_missing_library_is_named_with_what_to_do(self):
        with self.assertRaisesRegex(_native.LibraryMismatch, "set BATON_LIBRARY"):
            _native.load("/nonexistent/libbaton.so")


if __name__ == "__main__":
    unittest.main()
