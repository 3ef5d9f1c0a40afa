#!/usr/bin/python3
"""An independent mDNS client (Debian's python3-zeroconf), as a dispenser would use it: browse
_pastillero._tcp, resolve the first instance (SRV, TXT and the host's A record), then GET
/api/health at the resolved address. Prints one JSON object; exit 0 when a service was found.

Usage: zeroconf-resolve.py TIMEOUT_S
"""
import json
import sys
import time
import urllib.request

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, Zeroconf

TYPE = "_pastillero._tcp.local."
timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
deadline = time.monotonic() + timeout
found = []


class Listener:
    def add_service(self, zc, type_, name):
        found.append(name)

    def update_service(self, zc, type_, name):
        pass

    def remove_service(self, zc, type_, name):
        pass


zc = Zeroconf(ip_version=IPVersion.V4Only)
result = {"found": False}
try:
    ServiceBrowser(zc, TYPE, Listener())
    while not found and time.monotonic() < deadline:
        time.sleep(0.05)
    if found:
        name = found[0]
        result.update(found=True, name=name)
        # Ask for SRV + TXT + A like a device; keep asking until the address came or time is up.
        # parsed_addresses() are the A records of the SRV target host: without them a device
        # knows the name and port but has nothing to connect to.
        info = ServiceInfo(TYPE, name)
        while time.monotonic() < deadline:
            info.request(zc, 1000)
            if info.server and info.parsed_addresses():
                break
        result.update(
            server=info.server,
            port=info.port,
            addresses=info.parsed_addresses(),
            txt={
                k.decode(): (v.decode() if v is not None else None)
                for k, v in (info.properties or {}).items()
            },
        )
        if result["addresses"] and info.port:
            url = "http://%s:%d%s" % (result["addresses"][0], info.port, "/api/health")
            try:
                with urllib.request.urlopen(url, timeout=5) as res:
                    result["health"] = {"url": url, "status": res.status, "body": json.loads(res.read())}
            except Exception as err:  # reported, the test decides
                result["health"] = {"url": url, "error": str(err)}
finally:
    zc.close()
print(json.dumps(result))
sys.exit(0 if result["found"] else 1)
