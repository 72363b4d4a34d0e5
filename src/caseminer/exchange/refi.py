"""REFI-QDA exchange: the one import for codebooks (.qdc) and projects (.qdpx).

The work is split by concern: :mod:`.safe_xml` (untrusted XML), :mod:`.safe_archive`
(untrusted zips), :mod:`.refi_codebook` (``urn:QDA-XML:codebook:1.0``) and
:mod:`.refi_project` (``urn:QDA-XML:project:1.0``). Schemas are the REFI-QDA XSDs
shipped in ``caseminer/data/refi``.
"""

from .refi_codebook import CODEBOOK_NS, codebook_to_qdc, qdc_to_codebook, read_qdc, write_qdc
from .refi_project import (
    PROJECT_NS,
    CaseRecord,
    ProjectBundle,
    build_qdpx_members,
    read_qdpx,
    write_qdpx,
)
from .safe_archive import ArchiveLimits

__all__ = [
    "ArchiveLimits",
    "CODEBOOK_NS",
    "CaseRecord",
    "PROJECT_NS",
    "ProjectBundle",
    "build_qdpx_members",
    "codebook_to_qdc",
    "qdc_to_codebook",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
]
