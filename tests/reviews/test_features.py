"""The hashed n-gram features are exactly scikit-learn's, without importing it to analyse."""

import subprocess
import sys

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from reviews.features import N_FEATURES, counts, hashed_counts, idf_of, tfidf

TEXTS = ["快递太慢了", "质量  很好，但是  贵", "", "a", "😡😡 差评！！", "手机用了三天就黑屏了"]


def test_the_hashed_counts_are_scikit_learns():
    theirs = HashingVectorizer(
        analyzer="char",
        ngram_range=(1, 4),
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=False,
    ).transform(TEXTS)
    ours = hashed_counts(TEXTS, (1, 4))
    assert (ours != theirs).nnz == 0


def test_tfidf_rows_are_scikit_learns_and_an_empty_text_stays_empty():
    tf = counts(TEXTS)
    idf = idf_of(tf)
    theirs = TfidfTransformer(sublinear_tf=False).fit(tf)
    np.testing.assert_allclose(theirs.idf_, idf, rtol=1e-6)
    np.testing.assert_allclose(tfidf(tf, idf).toarray(), theirs.transform(tf).toarray(), atol=1e-6)
    assert tfidf(tf, idf)[2].nnz == 0


def test_analysing_reviews_does_not_import_scikit_learn():
    code = "import sys, reviews.analysis; print('sklearn' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "False"
