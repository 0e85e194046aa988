#!/usr/bin/env python3
"""List a province's overdue tasks through the portal's REST API, with an API key.

Python's standard library only, so it runs on any machine of the province's other systems:

    PORTAL_API_KEY=key_… python3 api_client_example.py --url https://kehoach.example.gov.vn
    python3 api_client_example.py --url http://127.0.0.1:8000 --key key_… --on 2025-12-31 --json

A provincial admin issues the key in the portal (Cài đặt của tôi → Khóa API); it reads the province's
data only. The script asks ``/api/v1/tasks/?state=overdue`` and follows the ``next`` links of the
cursor pages, then prints one line per task: its code, its due date, the agencies answering for it
as lead, its title. Errors (an invalid key, a malformed date, too many requests) are printed as the
API says them, in Vietnamese.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def get(url, key):
    """The JSON the API answers to GET ``url``."""
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {key}", "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def overdue_tasks(base_url, key, on=None, page_size=100):
    """Every task overdue on ``on`` (default: today), page after page."""
    query = {"state": "overdue", "page_size": page_size}
    if on:
        query["on"] = on
    url = f"{base_url.rstrip('/')}/api/v1/tasks/?{urllib.parse.urlencode(query)}"
    while url:
        page = get(url, key)
        yield from page["results"]
        url = page["next"]


def line(task):
    leads = "; ".join(lead["agency_name"] or lead["printed"] for lead in task["leads"])
    return f"{task['code']}\t{task['due_on']}\t{leads}\t{task['title']}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", required=True, help="the portal's address, e.g. https://kehoach.example.gov.vn"
    )
    parser.add_argument(
        "--key", default=os.environ.get("PORTAL_API_KEY"), help="the API key (or PORTAL_API_KEY)"
    )
    parser.add_argument("--on", help="the day tasks are judged on, YYYY-MM-DD (default: today)")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print the tasks as JSON")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("give the API key with --key or PORTAL_API_KEY")
    try:
        tasks = list(overdue_tasks(args.url, args.key, args.on, args.page_size))
    except urllib.error.HTTPError as error:
        print(f"HTTP {error.code}: {error.read().decode('utf-8', 'replace')}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"The portal cannot be reached: {error.reason}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(tasks, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for task in tasks:
            print(line(task))
        print(f"{len(tasks)} overdue", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
