"""Parcel carriers' names as shoppers write them (lower case: the readers normalise first).

Dependency-free, so the NLU components (Python 3.10, Rasa's environment) read the same names as
the app.
"""

CARRIERS = (
    *("顺丰", "中通", "圆通", "申通", "韵达", "极兔", "京东", "邮政", "ems", "德邦", "百世"),
    *("丰网", "天天", "优速", "跨越", "宅急送"),
)
