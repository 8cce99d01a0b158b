package org.sipbridge.web;

/** Every error answer of the API other than refused settings: one message, which {@code api.js} shows. */
record ApiError(String error) {}
