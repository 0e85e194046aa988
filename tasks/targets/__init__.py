"""A plan's targets (chỉ tiêu): what it promises in numbers, the values agencies report for them and
how a target stands for a period."""
