"""Where the emulator's instances come from: deterministic demo data, and fixtures files."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from roma_connect_models import (
    CpuArch,
    CreatedUser,
    FlavorType,
    Instance,
    InstanceStatus,
    LastUpdatedUser,
)

# The source document's example project, and a second one so that 403s can be tried.
DEMO_PROJECTS = ("106506b9a92342df9a5025fc12351cfc", "0a1b2c3d4e5f60718293a4b5c6d7e8f9")

_NAMESPACE = uuid.UUID("6f1c0a52-8f0e-4c55-9d6e-2f6d3b1e7a10")  # fixed: ids are reproducible
_EPOCH = dt.datetime(2019, 12, 6, 6, 49, 4, tzinfo=dt.UTC)
# Most demo instances run; every documented status occurs.
_STATUS_WEIGHTS = {s: (40 if s is InstanceStatus.RUNNING else 3) for s in InstanceStatus}
_USERS = [("a1f0c3", "alice"), ("b2e1d4", "bob"), ("c3d2e5", "")]  # a user name may be empty


class FixtureError(ValueError):
    """A fixtures file that cannot be loaded; the message names the file and the entry."""


def demo_instances(count: int, projects: Sequence[str] = DEMO_PROJECTS) -> Iterator[Instance]:
    """``count`` instances spread round-robin over ``projects``; the same every time."""
    rng = random.Random(count)
    statuses = list(_STATUS_WEIGHTS)
    weights = list(_STATUS_WEIGHTS.values())
    for n in range(count):
        project_id = projects[n % len(projects)]
        created = _EPOCH + dt.timedelta(hours=n)
        public = rng.random() < 0.4
        creator = rng.choice(_USERS)
        updater = rng.choice(_USERS)
        yield Instance(
            id=str(uuid.uuid5(_NAMESPACE, f"{project_id}/{n}")),
            name=f"roma-demo-{n:06d}",
            description=f"Demo instance {n}",
            flavor_id=rng.choice(["00400-30101-0--0", "00400-30102-0--0", "00400-30103-0--0"]),
            flavor_type=rng.choice(list(FlavorType)),
            cpu_arch=rng.choice(list(CpuArch)),
            vpc_id=str(uuid.uuid5(_NAMESPACE, f"vpc/{project_id}")),
            subnet_id=str(uuid.uuid5(_NAMESPACE, f"subnet/{project_id}")),
            security_group_id=str(uuid.uuid5(_NAMESPACE, f"sg/{project_id}")),
            publicip_enable=public,
            publicip_id=str(uuid.uuid5(_NAMESPACE, f"eip/{n}")) if public else None,
            publicip_address=f"192.0.2.{n % 254 + 1}" if public else None,  # TEST-NET-1
            status=rng.choices(statuses, weights)[0],
            charge_type=rng.choice(["prePaid", "postPaid"]),
            project_id=project_id,
            create_time=created,
            update_time=created + dt.timedelta(minutes=rng.randrange(0, 10_000)),
            maintain_begin="22:00:00",
            maintain_end="02:00:00",
            available_zone_ids=[uuid.uuid5(_NAMESPACE, f"az/{n % 3}").hex],
            enterprise_project_id="0",
            created_user=CreatedUser(user_id=creator[0], user_name=creator[1]),
            last_updated_user=LastUpdatedUser(user_id=updater[0], user_name=updater[1]),
        )


def parse_instances(document: Any, source: str) -> list[Instance]:
    """Instances from a decoded fixtures document: a list, or ``{"instances": [...]}``.

    Every entry is validated by the generated model and must name its ``project_id``.
    """
    entries = document.get("instances") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise FixtureError(f"{source}: expected a list of instances or {{'instances': [...]}}")
    instances = []
    for index, entry in enumerate(entries):
        try:
            instance = Instance.model_validate(entry)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "entry"
            raise FixtureError(f"{source}: instance {index}: {where}: {first['msg']}") from None
        if not instance.project_id:
            raise FixtureError(f"{source}: instance {index}: project_id is required")
        instances.append(instance)
    return instances


def load_fixtures(path: Path) -> list[Instance]:
    """Instances from a JSON or YAML fixtures file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FixtureError(f"{path}: cannot read: {error.strerror}") from None
    try:
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        reason = " ".join(str(error).split())
        raise FixtureError(
            f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {reason}"
        ) from None
    return parse_instances(document, str(path))
