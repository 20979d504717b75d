"""The federation broker: directory, policy, fan-out, gRPC server."""
