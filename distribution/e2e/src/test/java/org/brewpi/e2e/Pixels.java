package org.brewpi.e2e;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;

/** What a screenshot holds, in numbers a test can assert on. */
record Pixels(int width, int height, int distinctColours, double nonBackgroundShare, double darkShare) {

    /** The HMI's background grey (#d4d4d4). */
    static final int BACKGROUND = 0xd4d4d4;

    static Pixels of(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        long nonBackground = 0;
        long dark = 0;
        long total = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != BACKGROUND) {
                    nonBackground++;
                }
                if (luminance(rgb) < 90) {
                    dark++;
                }
            }
        }
        return new Pixels(image.getWidth(), image.getHeight(), colours.size(), (double) nonBackground / total,
                (double) dark / total);
    }

    static int luminance(int rgb) {
        return (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }
}
