"""Unit tests the image's builder stage runs: a failing test fails the build."""
import io
import unittest

from app import Redis


class RespRepliesTest(unittest.TestCase):
    def parse(self, data):
        return Redis("unused")._reply(io.BytesIO(data))

    def test_simple_types(self):
        self.assertEqual(self.parse(b"+PONG\r\n"), "PONG")
        self.assertEqual(self.parse(b":42\r\n"), 42)
        self.assertEqual(self.parse(b"$5\r\nhello\r\n"), "hello")
        self.assertIsNone(self.parse(b"$-1\r\n"))

    def test_array(self):
        self.assertEqual(self.parse(b"*2\r\n$1\r\na\r\n$2\r\nbc\r\n"), ["a", "bc"])

    def test_error(self):
        with self.assertRaises(RuntimeError):
            self.parse(b"-ERR wrong\r\n")


if __name__ == "__main__":
    unittest.main()
