"""A full disk is told apart wherever it surfaces: Python's OSError, a library's error carrying the C library's
words, or either as the cause of another error; the one line names the folder to free."""

import errno
import os

import pytest

from plumbing.disk_space import disk_full
from plumbing.errors import run_command


def test_an_oserror_for_space_or_quota_names_the_folder_being_written():
    for code in (errno.ENOSPC, errno.EDQUOT):
        said = disk_full(OSError(code, os.strerror(code), "/runs/cnn/tuner/trial_00/state.json"))
        assert said.startswith("no space left on the disk of /runs/cnn/tuner/trial_00: free space and run")


def test_hdf5s_words_under_another_error_are_found_with_the_file_it_named():
    h5py_error = RuntimeError(
        "Unable to synchronously create file (unable to open file: name = '/w/cnn/tuner/trial_01/best_epoch_0003"
        ".weights.h5', errno = 28, error message = 'No space left on device', flags = 13)"
    )
    with pytest.raises(ValueError) as raised:
        try:
            raise h5py_error
        except RuntimeError as inner:
            raise ValueError("saving failed") from inner
    assert disk_full(raised.value).startswith("no space left on the disk of /w/cnn/tuner/trial_01: ")


def test_other_errors_are_not_a_full_disk():
    assert disk_full(OSError(errno.EACCES, "Permission denied", "/x")) is None
    assert disk_full(ValueError("the space file lists 64 twice")) is None


def test_the_command_line_boundary_prints_one_line_and_exits_2(capsys):
    def full():
        raise OSError(errno.ENOSPC, "No space left on device", "/runs/split.csv")

    assert run_command(full) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no space left on the disk of /runs: ") and err.count("\n") == 1


def test_any_other_error_still_raises_at_the_boundary():
    def broken():
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        run_command(broken)
