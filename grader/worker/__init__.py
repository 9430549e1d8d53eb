"""The student worker: a separate, sandboxed process that imports a submission and runs the
calls the judge asks for. Started by `grader.client`; entry point `python -m grader.worker`.

Nothing in this package may import from the judge's harness: it runs untrusted code.
"""
