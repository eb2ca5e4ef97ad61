"""Outputs as probabilities (C21): sigmoid and softmax outputs estimate P(y = c | x), predict by the
argmax, the loss should match the test metric, and the sparsemax loss serves multi-class and
multi-label data. Measured on 2-D Gaussian blobs whose P(y | x) is known exactly: models trained
with cross-entropy, the squared loss and the sparsemax loss over seeds, scored against the labels
and against the true probabilities (|P_hat - P|, calibration, excess error over the Bayes
classifier, each loss as a metric), with sparsemax's exact zeros and multi-label supports."""
