"""The letter sizes of clothes and shoes (S, M, XL, 2XL …), smallest first: one list for every
reader of a size said by its label (帮我把M换成L, 确认 换XL, 有XXL的吗)."""

SIZE_LADDER = ("xxs", "xs", "s", "m", "l", "xl", "xxl", "2xl", "xxxl", "3xl", "4xl")
# The labels as one alternation for a regular expression (lower case, longest first).
SIZE_LABEL = "|".join(sorted(SIZE_LADDER, key=len, reverse=True))
