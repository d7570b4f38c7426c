"""The monitoring pages (thin: authorise, call a selector or a service, render or redirect).

- `dashboard`: /theo-doi/ (narratives riskiest first, counts by status, the month's figures)
  and /theo-doi/bao-cao/ (monthly indicators by unit, CSV and XLSX);
- `narratives`: a narrative, its items, spread chart, snapshots, timeline and handling forms;
  an item and its snapshots; the items list;
- `sources`: sources with their health, create/edit, fetch now, upload of an export file;
- `claims`: known false claims and their refutations;
- `tips`: the tip form /bao-tin/ (officers and members) and the officers' list of tips.
"""
