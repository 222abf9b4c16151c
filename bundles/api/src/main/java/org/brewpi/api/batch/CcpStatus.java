package org.brewpi.api.batch;

/** How a critical control point came out over a batch, from the historian's samples. */
public enum CcpStatus {
    MET, NOT_MET, NO_DATA
}
