"""From bytes to analysable text: decoding, cleaning, article splitting, furniture, sentences, segmentation."""
