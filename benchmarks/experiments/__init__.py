"""Standalone experiments behind BENCHMARKS.md's findings, each run as `python -m benchmarks.experiments.NAME`:
call_path and lean_call (a small call's microseconds), flags (iree-compile flags on CPU), drivers (local-sync,
local-task, async-external and how to wait), compile_time (iree-compile's time), proposals (the proposed changes
against today's numerix, alone and together)."""
