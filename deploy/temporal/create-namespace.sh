#!/bin/sh
# Registers the namespace the scanner uses, if it does not exist yet.
set -eu
temporal operator namespace describe -n "$DEFAULT_NAMESPACE" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$DEFAULT_NAMESPACE" --retention 72h
