"""A quiet command line: TensorFlow's, absl's and Python's log lines and warnings stay off stderr unless --verbose."""

from __future__ import annotations

import logging
import os
import sys
import warnings


def quiet_tensorflow(verbose: bool) -> None:
    """Silence TensorFlow before it is imported; stderr then carries only our own `error: ...` lines.

    TF_CPP_MIN_LOG_LEVEL must be set before TensorFlow loads, and even then the C++ lines logged before
    absl::InitializeLog() ("Could not find cuda drivers ...") ignore it (tensorflow/tensorflow#102212,
    abseil/abseil-cpp#1718). So in a real process the file descriptor 2 itself goes to /dev/null, and Python's
    sys.stderr keeps a duplicate of the real one: our messages and any traceback still reach the terminal.
    """
    if verbose:
        return
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    warnings.simplefilter("ignore")
    for name in ("tensorflow", "absl", "keras"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if sys.stderr is not sys.__stderr__ or "tensorflow" in sys.modules:
        return  # under a test's captured stderr, or too late: leave the process's descriptors alone
    try:
        if sys.stderr.fileno() != 2:
            return
        real = os.dup(2)
        sys.stderr.flush()
        sys.stderr = os.fdopen(real, "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace")
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
    except (OSError, ValueError, AttributeError):  # no real descriptor 2 (an embedded interpreter): keep it
        pass
