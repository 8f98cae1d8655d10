"""The PDF/X output intent, one definition for both PDF/X writers: IFRA26 for x1a, a profile's name for x4."""
from __future__ import annotations

from pathlib import Path

IFRA26 = {
    "OutputConditionIdentifier": "IFRA26",
    "OutputCondition": "ISO 12647-3:2013 coldset newsprint (IFRA26, ISOnewspaper26v4)",
    "RegistryName": "http://www.color.org",
    "Info": "ISOnewspaper26v4",
}


def profile_name(icc: Path) -> str:
    """The ICC profile's description (its file name when it has none)."""
    from PIL import ImageCms
    try:
        return ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(icc))).strip() or Path(icc).stem
    except (OSError, ImageCms.PyCMSError):
        return Path(icc).stem
