shown = []


class NeoPixel:
    def __init__(self, pin, n):
        self.pin = pin
        self.px = [(0, 0, 0)] * n

    def __setitem__(self, i, v):
        self.px[i] = v

    def write(self):
        shown.append(self.px[0])
