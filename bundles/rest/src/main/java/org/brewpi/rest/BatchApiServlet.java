package org.brewpi.rest;

import org.brewpi.api.batch.BatchService;
import org.brewpi.api.security.Authenticator;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The recipe and batch servlets: the batch service and the authenticator, declared once (see bnd.bnd: inherit). */
abstract class BatchApiServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    final transient BatchApi api = new BatchApi();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setBatches(BatchService s) {
        api.service.set(s);
    }

    void unsetBatches(BatchService s) {
        api.service.compareAndSet(s, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuthenticator(Authenticator a) {
        api.authenticator.set(a);
    }

    void unsetAuthenticator(Authenticator a) {
        api.authenticator.compareAndSet(a, null);
    }
}
