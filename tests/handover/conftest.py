"""The transfer tests' world (reference data, the programme, carla and otto, a place): a handover
needs a case booked on a transport."""

from tests.transfers.conftest import (  # noqa: F401
    carla,
    media_root,
    otto,
    place,
    programme,
    reference_data,
)
