"""Caches of compiled modules: in memory for the process, and on disk so that another process running the same
defn does not compile again.

The key hashes the compiler's input text with the target, the flags and the compiler's version, so any change to
what would be compiled makes a new entry. Disk entries are written whole or not at all (a temporary file renamed
into place), and each carries a digest of its payload: a truncated or corrupt entry reads as missing and is
compiled and written again. The directory is NUMERIX_CACHE_DIR, else $XDG_CACHE_HOME/numerix, else
~/.cache/numerix. Each cache directory keeps at most NUMERIX_CACHE_MAX_BYTES (default 1 GiB): a write that takes it
past that removes the least recently used entries (a read marks an entry used) until it holds 3/4 of it."""
import functools
import hashlib
import importlib
import os
import tempfile
import warnings

_MAGIC = b"numerix-cache-1\n"
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
        header = len(_MAGIC) + _DIGEST
        if len(data) < header or not data.startswith(_MAGIC):
            return None
        payload = data[header:]
        if hashlib.sha256(payload).digest() != data[len(_MAGIC):header]:
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
                    f.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(temporary, self.path(entry_key))
                self._evict(keep=entry_key + ".bin")
            except BaseException:
                os.unlink(temporary)
                raise
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


def max_bytes():
    return int(os.environ.get("NUMERIX_CACHE_MAX_BYTES", 1 << 30))
