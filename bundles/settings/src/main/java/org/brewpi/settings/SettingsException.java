package org.brewpi.settings;

/** A setting that cannot be used; its message is the one line the operator sees. */
class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    SettingsException(String message) {
        super(message);
    }
}
