"""Caches of compiled modules: in memory for the process, and on disk so that another process running the same
defn does not compile again.

The key hashes the compiler's input text with the target, the flags and the compiler's version, so any change to
what would be compiled makes a new entry. Disk entries are written whole or not at all (a temporary file renamed
into place), and each carries a digest of its payload: a truncated or corrupt entry reads as missing and is
compiled and written again. Each entry also names its key, so a file copied or renamed under another key reads
as missing too, rather than serving one program for another. The directory is NUMERIX_CACHE_DIR, else
$XDG_CACHE_HOME/numerix, else ~/.cache/numerix. Each cache directory keeps at most NUMERIX_CACHE_MAX_BYTES (default
1 GiB): a write that takes it past that removes the least recently used entries (a read marks an entry used) until
it holds 3/4 of it."""
import functools
import hashlib
import importlib
import os
import re
import tempfile
import warnings

_MAGIC = b"numerix-cache-2\n"  # then the entry's key and a newline, the payload's digest, the payload
_DIGEST = hashlib.sha256().digest_size


def default_directory():
    explicit = os.environ.get("NUMERIX_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "numerix")


@functools.cache
def source_fingerprint():
    """A digest of numerix's own source. A program cached by its traced text (before numerix's passes and lowering
    run) is only valid for the numerix that compiled it; any change to the source makes new entries."""
    digest = hashlib.sha256()
    for package in ("numerix", "numerix.dialect", "numerix.passes", "numerix.runtime"):
        directory = importlib.import_module(package).__path__[0]
        for name in sorted(os.listdir(directory)):
            if name.endswith(".py"):
                with open(os.path.join(directory, name), "rb") as f:
                    digest.update(name.encode() + b"\0" + hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


def key(*parts):
    """A hex digest of the parts (strings), unambiguous in where one part ends."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class CompileCache:
    """`get(key, compile)` returns the cached bytes for `key`, or calls `compile()` and stores its bytes. `stats`
    counts where each answer came from: "memory", "disk" or "compiled"."""

    def __init__(self, directory=None, kind="iree"):
        self._directory = directory
        self._kind = kind
        self._memory = {}
        self.stats = {"memory": 0, "disk": 0, "compiled": 0}

    @property
    def directory(self):
        return os.path.join(self._directory or default_directory(), self._kind)

    def path(self, entry_key):
        return os.path.join(self.directory, entry_key + ".bin")

    def get(self, entry_key, compile):
        found = self.read(entry_key)
        if found is None:
            found = compile()
            self.stats["compiled"] += 1
            self.write(entry_key, found)
        return found

    def read(self, entry_key):
        """The bytes stored for `entry_key`, from memory or disk; None when there are none."""
        found = self._memory.get(entry_key)
        if found is not None:
            self.stats["memory"] += 1
            return found
        found = self._read(entry_key)
        if found is not None:
            self.stats["disk"] += 1
            self._memory[entry_key] = found
        return found

    def holds(self, entry_key):
        """Whether `entry_key` is in memory or on disk, without reading it (nor counting it in `stats`)."""
        return entry_key in self._memory or os.path.exists(self.path(entry_key))

    def write(self, entry_key, payload):
        self._memory[entry_key] = payload
        self._write(entry_key, payload)

    def clear_memory(self):
        self._memory.clear()

    def _read(self, entry_key):
        try:
            with open(self.path(entry_key), "rb") as f:
                data = f.read()
        except OSError:
            return None
        header = _header(entry_key)
        if len(data) < len(header) + _DIGEST or not data.startswith(header):  # torn, garbage or another key's
            return None
        payload = data[len(header) + _DIGEST:]
        if hashlib.sha256(payload).digest() != data[len(header):len(header) + _DIGEST]:
            return None
        try:
            os.utime(self.path(entry_key))  # used now: the last to be evicted
        except OSError:
            pass
        return payload

    def _write(self, entry_key, payload):
        directory = self.directory
        try:
            os.makedirs(directory, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as f:
                    f.write(_header(entry_key) + hashlib.sha256(payload).digest() + payload)
                os.replace(temporary, self.path(entry_key))
            except BaseException:
                os.unlink(temporary)
                raise
            self._evict(keep=entry_key + ".bin")
        except OSError as error:  # a cache that cannot be written only costs a compile next time
            warnings.warn(f"numerix: cannot write the compile cache in {directory}: {error}", RuntimeWarning,
                          stacklevel=3)

    def _evict(self, keep):
        """Removes the least recently used entries while the directory holds more than max_bytes()."""
        limit = max_bytes()
        entries, total = [], 0
        with os.scandir(self.directory) as found:
            for entry in found:
                try:
                    stat = entry.stat()
                except FileNotFoundError:  # another process evicted it meanwhile
                    continue
                if entry.name.endswith(".bin"):
                    total += stat.st_size
                    if entry.name != keep:
                        entries.append((stat.st_mtime, stat.st_size, entry.path))
        for _, size, path in sorted(entries) if total > limit else ():
            if total <= limit * 3 // 4:
                break
            try:
                os.unlink(path)
            except FileNotFoundError:  # another process evicted it first
                pass
            total -= size


def _header(entry_key):
    return _MAGIC + entry_key.encode() + b"\n"


DEFAULT_MAX_BYTES = 1 << 30
# Decimal and binary units as the IEC (and pip, for its download sizes) writes them: 1 GB = 10**9 bytes, 1 GiB = 2**30.
_UNITS = {"": 1, "b": 1, "kb": 10**3, "kib": 2**10, "mb": 10**6, "mib": 2**20, "gb": 10**9, "gib": 2**30,
          "tb": 10**12, "tib": 2**40}
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)", re.IGNORECASE)


def max_bytes():
    """NUMERIX_CACHE_MAX_BYTES in bytes: a number of bytes, or a number with a unit (`1GB`, `512 MiB`, `1.5GiB`)."""
    return _parse_max_bytes(os.environ.get("NUMERIX_CACHE_MAX_BYTES", "").strip())


@functools.cache  # a bad value warns once, not at every compile
def _parse_max_bytes(text):
    if not text:
        return DEFAULT_MAX_BYTES
    match = _SIZE.fullmatch(text)
    unit = _UNITS.get(match[2].lower()) if match else None
    if unit is None:
        # A cache setting should not stop a program; the default keeps the cache bounded.
        warnings.warn(f"numerix: NUMERIX_CACHE_MAX_BYTES={text!r} is not a size; expected a number of bytes, or a "
                      f"number with one of the units B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB "
                      f"(powers of 1024), e.g. 4000000000, 4GB or 1.5GiB; using the default, 1 GiB", RuntimeWarning,
                      stacklevel=2)
        return DEFAULT_MAX_BYTES
    return int(float(match[1]) * unit)
