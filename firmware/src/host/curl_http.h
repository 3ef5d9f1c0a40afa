// HttpClient on libcurl (easy interface, one request at a time, like Arduino's HTTPClient).
#pragma once

#include "pastillero/ports.h"

namespace pastillero {
namespace host {

class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient() override;
  HttpResponse request(const HttpRequest& req) override;
  HttpResponse download(const HttpRequest& req, const HeadFn& onHead,
                        const ChunkFn& onChunk) override;

 private:
  HttpResponse perform(const HttpRequest& req, const HeadFn* onHead, const ChunkFn* onChunk);
  void* curl_;
};

}  // namespace host
}  // namespace pastillero
