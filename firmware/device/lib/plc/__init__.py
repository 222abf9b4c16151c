# BrewPi zone PLC firmware: logic modules shared by the ESP32-S3 and the host tests.
FW_VERSION = "1.0.0"
