from congdoan.feedback.tests.conftest import _isolated, submit  # noqa: F401 (fixtures)
