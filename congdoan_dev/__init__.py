"""Development tooling of Công Đoàn Số, kept out of the runtime package `congdoan`.

What lives here runs on a developer's or CI's machine, never in production:

- `bench/`     the benchmarks behind `congdoan bench NAME` (they print figures and record them
               in docs/figures.json; `make figures` writes the README's table from that file);
- `demo/`      the demo data of Phú Xuyên behind `congdoan seed-demo` (`make demo`);
- `textbuild/` how the text toolkit's shipped models are built (`congdoan text build-models`;
               the fine-tuning on a GPU): see textbuild/README.md.

It is its own distribution (`congdoan_dev/pyproject.toml`), installed in editable mode by
`make install` beside the application; the production wheel (`pip install .`) holds only
`congdoan`. The management commands that reach in here (`bench`, `seed-demo`, `text
build-models`, `nlp train-head`) say so plainly when it is not installed.
"""
