# SPDX-License-Identifier: MIT
"""The OVHcloud API emulator behind ovh_emulator.py, one module per concern:

    facts     endpoint flavours, netboots, server fields, signing, rules
    replies   replies and the API's error shapes
    state     the state file: credentials, servers, tasks, settings
    faults    injected faults and the server-side rate limit
    recorder  the request log and statistics
    api       routing, authentication, the API and control handlers
"""
