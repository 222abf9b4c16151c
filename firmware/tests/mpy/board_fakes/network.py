STA_IF = 0
wlans = []


class WLAN:
    def __init__(self, iface):
        self.on = False
        self.connected = False
        self.connects = []
        wlans.append(self)

    def active(self, on=None):
        if on is not None:
            self.on = on
        return self.on

    def isconnected(self):
        return self.connected

    def connect(self, ssid, password):
        self.connects.append((ssid, password))

    def disconnect(self):
        pass
