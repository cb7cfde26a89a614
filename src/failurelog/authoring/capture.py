"""Facts about this machine for the System Specifications fields (``new --capture``).

Each fact is read the way the seed's appendix commands would (``uname -a``,
``lscpu``, ``free -h``, ``df -h``, ``ethtool``, ``ip addr``), from ``/proc``,
``/sys`` and the network interfaces directly so no tool needs to be installed
(name resolution often answers 127.0.0.1, so the address comes from the
interface of the default route). A fact that cannot be read is left out
rather than guessed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import platform
import socket
from pathlib import Path
from typing import Any

_SYS = Path("/sys")
_PROC = Path("/proc")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _meminfo_gb(key: str) -> float | None:
    text = _read(_PROC / "meminfo") or ""
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name == key and rest.split():
            return round(int(rest.split()[0]) / 1024 / 1024, 1)
    return None


def _cpuinfo(key: str) -> str | None:
    for line in (_read(_PROC / "cpuinfo") or "").splitlines():
        name, _, value = line.partition(":")
        if name.strip() == key and value.strip():
            return value.strip()
    return None


def _cpu_speed_ghz() -> float | None:
    khz = _read(_SYS / "devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    if khz and khz.isdigit():
        return round(int(khz) / 1_000_000, 2)
    mhz = _cpuinfo("cpu MHz")
    try:
        return round(float(mhz) / 1000, 2) if mhz else None
    except ValueError:
        return None


def _default_route_interface() -> str | None:
    """The interface of the IPv4 default route (``/proc/net/route``), if any."""
    for line in (_read(_PROC / "net/route") or "").splitlines()[1:]:
        parts = line.split()
        if len(parts) > 2 and parts[1] == "00000000":
            return parts[0]
    return None


def interface_addresses() -> dict[str, str]:
    """IPv4 address of each network interface that has one, loopback and link-local left out (Linux)."""
    import fcntl
    import struct

    out: dict[str, str] = {}
    try:
        names = [name for _index, name in socket.if_nameindex()]
    except OSError:
        return out
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for name in names:
            request = struct.pack("256s", name.encode("utf-8")[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
            except OSError:
                continue  # no IPv4 address on this interface
            address = ipaddress.ip_address(socket.inet_ntoa(answer[20:24]))
            if not (address.is_loopback or address.is_link_local or address.is_unspecified):
                out[name] = str(address)
    return out


def primary_address() -> tuple[str, str] | None:
    """(interface, address) of this machine: the default route's interface first, else the first one."""
    addresses = interface_addresses()
    if not addresses:
        return None
    preferred = _default_route_interface()
    name = preferred if preferred in addresses else sorted(addresses)[0]
    return name, addresses[name]


def _ip_address() -> str | None:
    """The machine's address from its interfaces; name resolution only when they give none."""
    found = primary_address()
    if found is not None:
        return found[1]
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        infos = []
    candidates = []
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        except ValueError:
            continue
        if not (address.is_loopback or address.is_link_local):
            candidates.append(address)
    candidates.sort(key=lambda a: a.version)  # prefer IPv4
    return str(candidates[0]) if candidates else None


def _block_devices() -> list[tuple[str, bool, int]]:
    """(name, rotational, bytes) of physical disks."""
    out: list[tuple[str, bool, int]] = []
    root = _SYS / "block"
    if not root.is_dir():
        return out
    for device in sorted(root.iterdir()):
        if device.name.startswith(("loop", "ram", "zram", "dm-", "sr", "md", "nbd")):
            continue
        sectors = _read(device / "size")
        rotational = _read(device / "queue/rotational") == "1"
        if sectors and sectors.isdigit() and int(sectors) > 0:
            out.append((device.name, rotational, int(sectors) * 512))
    return out


def _storage_type(devices: list[tuple[str, bool, int]]) -> str | None:
    kinds = []
    for name, rotational, _size in devices:
        kind = "NVMe SSD" if name.startswith("nvme") else "HDD" if rotational else "SSD"
        if kind not in kinds:
            kinds.append(kind)
    return ", ".join(kinds) or None


def _network_cards() -> list[str]:
    out: list[str] = []
    root = _SYS / "class/net"
    if not root.is_dir():
        return out
    for nic in sorted(root.iterdir()):
        if nic.name == "lo" or not (nic / "device").exists():
            continue
        driver_link = nic / "device/driver"
        driver = os.path.basename(os.readlink(driver_link)) if driver_link.is_symlink() else None
        speed = _read(nic / "speed")
        detail = ", ".join(
            x
            for x in (driver, f"{speed} Mb/s" if speed and speed.lstrip("-").isdigit() and int(speed) > 0 else None)
            if x
        )
        out.append(f"{nic.name} ({detail})" if detail else nic.name)
    return out


def capture() -> dict[str, Any]:
    """Facts of the machine this runs on, keyed by the System Specifications field names they fill."""
    release: dict[str, str] = {}
    with contextlib.suppress(OSError):
        release = platform.freedesktop_os_release()
    devices = _block_devices()
    facts: dict[str, Any] = {
        "hostname": socket.gethostname().split(".")[0] or None,
        "ip_address": _ip_address(),
        "os": release.get("PRETTY_NAME") or f"{platform.system()} {platform.version()}".strip() or None,
        "kernel_version": platform.release() or None,
        "cpu_model": _cpuinfo("model name") or platform.processor() or None,
        "cpu_cores": os.cpu_count(),
        "cpu_speed_ghz": _cpu_speed_ghz(),
        "total_ram_gb": _meminfo_gb("MemTotal"),
        "available_ram_gb": _meminfo_gb("MemAvailable"),
        "storage_type": _storage_type(devices),
        "total_storage_tb": round(sum(size for _n, _r, size in devices) / 1e12, 3) if devices else None,
        "network_cards": _network_cards() or None,
    }
    return {key: value for key, value in facts.items() if value not in (None, "", 0)}
