"""The hashed n-gram features are exactly scikit-learn's, without importing it to analyse."""

import subprocess
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from reviews.features import N_FEATURES, LinearTextModel, ngram_counts
from reviews.training import _weights, counts, idf_of, tfidf

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
    ours = counts(TEXTS, (1, 4))
    assert (ours != theirs).nnz == 0


def test_tfidf_rows_are_scikit_learns_and_an_empty_text_stays_empty():
    tf = counts(TEXTS)
    idf = idf_of(tf)
    damped = tf.copy()
    damped.data = np.log1p(damped.data)  # ours: log(1 + count), then scikit-learn's tf·idf
    theirs = TfidfTransformer().fit(damped)
    np.testing.assert_allclose(theirs.idf_, idf, rtol=1e-6)
    np.testing.assert_allclose(
        tfidf(tf, idf).toarray(), theirs.transform(damped).toarray(), atol=1e-6
    )
    assert tfidf(tf, idf)[2].nnz == 0


def test_scores_are_the_sparse_product_of_features_and_weights():
    rng = np.random.default_rng(7)
    tf = counts(TEXTS)
    idf = idf_of(tf)
    weights = sp.random(3, N_FEATURES, density=1e-3, format="csr", random_state=rng)
    weights[:, tf.indices] = rng.normal(size=(3, len(tf.indices)))
    model = LinearTextModel(["a", "b", "c"], idf, _weights(weights), np.array([0.1, 0.0, -0.2]))
    expected = (tfidf(tf, idf) @ weights.T).toarray() + model.bias
    np.testing.assert_allclose(model.scores(TEXTS), expected, atol=1e-9)
    assert model.scores([]).shape == (0, 3)
    assert len(ngram_counts(["快递"]).columns) == 3  # 快, 递, 快递


def test_analysing_reviews_imports_neither_scikit_learn_nor_scipy():
    code = (
        "import sys, reviews.__main__, reviews.analysis;"
        " print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "[]"
