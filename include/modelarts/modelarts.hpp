/**
 * @file modelarts.hpp
 * The whole library: include this, or only the headers you use.
 */
#ifndef MODELARTS_MODELARTS_HPP
#define MODELARTS_MODELARTS_HPP

#include "modelarts/any_transport.hpp"
#include "modelarts/credential_provider.hpp"
#include "modelarts/credentials.hpp"
#include "modelarts/diagnostics.hpp"
#include "modelarts/environment.hpp"
#include "modelarts/error.hpp"
#include "modelarts/estimator.hpp"
#include "modelarts/http.hpp"
#include "modelarts/iam.hpp"
#include "modelarts/metadata.hpp"
#include "modelarts/region.hpp"
#include "modelarts/request.hpp"
#include "modelarts/response.hpp"
#include "modelarts/retry.hpp"
#include "modelarts/session.hpp"
#include "modelarts/session_options.hpp"
#include "modelarts/signer.hpp"
#include "modelarts/transport.hpp"
#include "modelarts/validation.hpp"
#include "modelarts/version.hpp"

#endif
