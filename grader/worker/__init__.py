"""The student worker: a separate, sandboxed process that imports a submission and runs the
calls the judge asks for. Started by `grader.client`, forked by the zygote
(`grader.worker.zygote`), sandboxed by `grader.worker.launch` (docs/sandbox.md).

Nothing in this package may import from the judge's harness: it runs untrusted code.
"""
